// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto guest driver: device lifecycle.
 *
 * Probe, remove, freeze and restore; virtqueue setup; configuration space;
 * the list of bound devices tfms pick from; algorithm registration.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "virtio_crypto_common.h"

int vcrypto_priority = 120;
module_param_named(priority, vcrypto_priority, int, 0444);
MODULE_PARM_DESC(priority,
		 "Algorithm priority (default 120: above generic C code at 100, below CPU instructions such as AES-NI at 300+)");

/*
 * Stateless mode (docs/driver.md, "Stateless mode"). Read at probe (which
 * feature bits to accept) and at setkey/tfm init (which policy a tfm
 * gets), so changing it needs a module reload.
 */
static int vcrypto_stateless = 1;
module_param_named(stateless, vcrypto_stateless, int, 0444);
MODULE_PARM_DESC(stateless,
		 "Stateless requests where the device offers them: 0 never (sessions only), 1 auto (default: hash, MAC and akcipher always; cipher and AEAD for the first stateless_reqs requests after each setkey), 2 always (test mode)");

static unsigned int vcrypto_stateless_reqs = 32;
module_param_named(stateless_reqs, vcrypto_stateless_reqs, uint, 0644);
MODULE_PARM_DESC(stateless_reqs,
		 "With stateless=1: stateless cipher/AEAD requests after each setkey before the tfm makes sessions (default 32; 0: sessions at setkey)");

/**
 * vcrypto_sl_policy - stateless policy of a new key or tfm
 * @vc: the device
 * @service: VIRTIO_CRYPTO_SERVICE_* the tfm uses
 *
 * Stateless only for a service whose STATELESS bit was negotiated
 * (FEAT-3). With stateless=1 the keyless or per-request-key services
 * (HASH, MAC, AKCIPHER) always go stateless; CIPHER and AEAD (and the
 * chaining tfms, which are CIPHER) start stateless and move to sessions.
 *
 * Return: the policy.
 */
enum vcrypto_sl_policy vcrypto_sl_policy(struct vcrypto_dev *vc, u32 service)
{
	if (!(vc->sl_services & BIT(service)))
		return VCRYPTO_SL_NEVER;
	if (vcrypto_stateless == 2)
		return VCRYPTO_SL_ALWAYS;
	switch (service) {
	case VIRTIO_CRYPTO_SERVICE_CIPHER:
	case VIRTIO_CRYPTO_SERVICE_AEAD:
		return READ_ONCE(vcrypto_stateless_reqs) ? VCRYPTO_SL_FIRST :
							   VCRYPTO_SL_NEVER;
	default:
		return VCRYPTO_SL_ALWAYS;
	}
}

/**
 * vcrypto_sl_init - initialise a tfm's stateless switch
 * @sl: the switch, in the tfm context
 * @fn: the tfm's session-creating work function
 */
void vcrypto_sl_init(struct vcrypto_sl *sl, work_func_t fn)
{
	INIT_WORK(&sl->work, fn);
	atomic_set(&sl->left, 0);
	sl->policy = VCRYPTO_SL_NEVER;
}

/**
 * vcrypto_sl_setkey - choose the policy for a new key
 * @sl: the tfm's switch; its work must have been cancelled
 *	(cancel_work_sync()) by the caller, without vcrypto_dev.sess_lock
 * @vc: the device
 * @service: the tfm's service
 */
void vcrypto_sl_setkey(struct vcrypto_sl *sl, struct vcrypto_dev *vc,
		       u32 service)
{
	sl->policy = vcrypto_sl_policy(vc, service);
	vcrypto_sl_rearm(sl);
}

/**
 * vcrypto_sl_rearm - count stateless_reqs requests again before @work
 * @sl: the switch
 *
 * After each setkey, and when making the sessions failed (the device was
 * being reset, or refused them): the tfm stays stateless and tries again
 * later. Does nothing unless the policy is VCRYPTO_SL_FIRST.
 */
void vcrypto_sl_rearm(struct vcrypto_sl *sl)
{
	unsigned int n = READ_ONCE(vcrypto_stateless_reqs);

	if (sl->policy == VCRYPTO_SL_FIRST)
		atomic_set(&sl->left, min_t(unsigned int, n ? n : 1, INT_MAX));
}

/**
 * vcrypto_sl_used - account one stateless request of a tfm
 * @sl: the switch
 *
 * Called by the submit path (any context). The request that uses up the
 * budget queues the session work, exactly once per arming.
 */
void vcrypto_sl_used(struct vcrypto_sl *sl)
{
	if (sl->policy == VCRYPTO_SL_FIRST &&
	    atomic_dec_if_positive(&sl->left) == 0)
		queue_work(system_unbound_wq, &sl->work);
}

/*
 * Test only: replace the device's cipher_algo_l, to exercise algorithms a
 * device implements but does not advertise (the stock QEMU 7.2 builtin
 * backend takes AES ECB/CTR/XTS and 3DES sessions but advertises only
 * AES-CBC). 0 (default) uses what the device advertises.
 */
static uint x_cipher_mask;
module_param(x_cipher_mask, uint, 0444);
MODULE_PARM_DESC(x_cipher_mask,
		 "Test only: override the device's cipher_algo_l mask (default 0: use the device's)");

/* Bound devices tfms can pick from. */
static LIST_HEAD(vcrypto_devs);
static DEFINE_MUTEX(vcrypto_devs_lock);
/* Serialises (un)registration and the per-device lifecycle flags. */
static DEFINE_MUTEX(vcrypto_algs_lock);

static void vcrypto_dev_release(struct kref *ref)
{
	struct vcrypto_dev *vc = container_of(ref, struct vcrypto_dev, ref);
	unsigned int i;

	for (i = 0; i < vc->nr_dataqs; i++)
		free_cpumask_var(vc->dataqs[i].cpus);
	kfree(vc->dataqs);
	kfree(vc);
}

/**
 * vcrypto_dev_put - drop a device reference taken by vcrypto_dev_get_for()
 * @vc: the device
 */
void vcrypto_dev_put(struct vcrypto_dev *vc)
{
	atomic_dec(&vc->ntfms);
	kref_put(&vc->ref, vcrypto_dev_release);
}

/**
 * vcrypto_dev_has_algo - does the device advertise an algorithm?
 * @vc: the device
 * @service: VIRTIO_CRYPTO_SERVICE_*
 * @algo: algorithm number of that service
 *
 * Bit 0 (NO_*) never counts (AMB-17); masks of services that are not
 * advertised are not looked at (DRV-INIT-2, DRV-INIT-3).
 */
bool vcrypto_dev_has_algo(struct vcrypto_dev *vc, u32 service, u32 algo)
{
	u64 mask;

	if (!algo || algo > 63 || !(vc->services & BIT(service)))
		return false;
	switch (service) {
	case VIRTIO_CRYPTO_SERVICE_CIPHER:
		mask = (u64)vc->cipher_algo_h << 32 | vc->cipher_algo_l;
		break;
	case VIRTIO_CRYPTO_SERVICE_HASH:
		mask = vc->hash_algo;
		break;
	case VIRTIO_CRYPTO_SERVICE_MAC:
		mask = (u64)vc->mac_algo_h << 32 | vc->mac_algo_l;
		break;
	case VIRTIO_CRYPTO_SERVICE_AEAD:
		mask = vc->aead_algo;
		break;
	case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
		mask = vc->akcipher_algo;
		break;
	default:
		return false;
	}
	return mask & BIT_ULL(algo);
}

/**
 * vcrypto_dev_get_for - pick a device for a new tfm
 * @service: VIRTIO_CRYPTO_SERVICE_* the tfm needs
 * @algo: algorithm number the tfm needs
 *
 * Takes the ready device advertising the algorithm with the fewest tfms.
 *
 * Return: a referenced device, or NULL.
 */
struct vcrypto_dev *vcrypto_dev_get_for(u32 service, u32 algo)
{
	struct vcrypto_dev *vc, *best = NULL;

	mutex_lock(&vcrypto_devs_lock);
	list_for_each_entry(vc, &vcrypto_devs, node) {
		if (!READ_ONCE(vc->hw_ready) ||
		    !vcrypto_dev_has_algo(vc, service, algo))
			continue;
		if (!best || atomic_read(&vc->ntfms) < atomic_read(&best->ntfms))
			best = vc;
	}
	if (best) {
		kref_get(&best->ref);
		atomic_inc(&best->ntfms);
	}
	mutex_unlock(&vcrypto_devs_lock);
	return best;
}

/* Read the configuration space (DRV-CFG-1..13). */
static int vcrypto_read_config(struct vcrypto_dev *vc)
{
	struct virtio_device *vdev = vc->vdev;
	u32 status, nr;

	virtio_cread_le(vdev, struct virtio_crypto_config, max_dataqueues, &nr);
	if (!nr || nr > VCRYPTO_MAX_DATAQUEUES) {
		dev_err(&vdev->dev, "unsupported max_dataqueues %u (1..%u)\n",
			nr, VCRYPTO_MAX_DATAQUEUES);
		return -EINVAL;
	}
	vc->nr_dataqs = nr;

	virtio_cread_le(vdev, struct virtio_crypto_config, status, &status);
	vc->hw_ready = status & VIRTIO_CRYPTO_S_HW_READY;
	virtio_cread_le(vdev, struct virtio_crypto_config, crypto_services,
			&vc->services);
	virtio_cread_le(vdev, struct virtio_crypto_config, cipher_algo_l,
			&vc->cipher_algo_l);
	if (x_cipher_mask)
		vc->cipher_algo_l = x_cipher_mask;
	virtio_cread_le(vdev, struct virtio_crypto_config, cipher_algo_h,
			&vc->cipher_algo_h);
	virtio_cread_le(vdev, struct virtio_crypto_config, hash_algo,
			&vc->hash_algo);
	virtio_cread_le(vdev, struct virtio_crypto_config, mac_algo_l,
			&vc->mac_algo_l);
	virtio_cread_le(vdev, struct virtio_crypto_config, mac_algo_h,
			&vc->mac_algo_h);
	virtio_cread_le(vdev, struct virtio_crypto_config, aead_algo,
			&vc->aead_algo);
	/* offset 44 is reserved before spec 1.3: only meaningful with AKCIPHER */
	if (vc->services & BIT(VIRTIO_CRYPTO_SERVICE_AKCIPHER))
		virtio_cread_le(vdev, struct virtio_crypto_config,
				akcipher_algo, &vc->akcipher_algo);
	virtio_cread_le(vdev, struct virtio_crypto_config, max_cipher_key_len,
			&vc->max_cipher_key_len);
	virtio_cread_le(vdev, struct virtio_crypto_config, max_auth_key_len,
			&vc->max_auth_key_len);
	virtio_cread_le(vdev, struct virtio_crypto_config, max_size,
			&vc->max_size);
	return 0;
}

static void vcrypto_set_affinity(struct vcrypto_dev *vc)
{
	unsigned int cpu, i;

	for (i = 0; i < vc->nr_dataqs; i++)
		cpumask_clear(vc->dataqs[i].cpus);
	for_each_possible_cpu(cpu)
		cpumask_set_cpu(cpu, vc->dataqs[cpu % vc->nr_dataqs].cpus);
	for (i = 0; i < vc->nr_dataqs; i++) {
		if (!cpumask_empty(vc->dataqs[i].cpus))
			virtqueue_set_affinity(vc->dataqs[i].vq,
					       vc->dataqs[i].cpus);
	}
}

/* DRV-INIT-1: set up every data queue and the control queue (last). */
static int vcrypto_find_vqs(struct vcrypto_dev *vc)
{
	unsigned int i, nvqs = vc->nr_dataqs + 1;
	struct virtqueue **vqs;
	vq_callback_t **cbs;
	const char **names;
	unsigned long flags;
	int err = -ENOMEM;

	vqs = kcalloc(nvqs, sizeof(*vqs), GFP_KERNEL);
	cbs = kcalloc(nvqs, sizeof(*cbs), GFP_KERNEL);
	names = kcalloc(nvqs, sizeof(*names), GFP_KERNEL);
	if (!vqs || !cbs || !names)
		goto out;

	for (i = 0; i < vc->nr_dataqs; i++) {
		cbs[i] = vcrypto_dataq_done;
		names[i] = vc->dataqs[i].name;
	}
	cbs[i] = vcrypto_ctrl_done;
	names[i] = "controlq";

	err = virtio_find_vqs(vc->vdev, nvqs, vqs, cbs, names, NULL);
	if (err)
		goto out;

	for (i = 0; i < vc->nr_dataqs; i++)
		vcrypto_dataq_revive(&vc->dataqs[i], vqs[i]);
	spin_lock_irqsave(&vc->ctrl_lock, flags);
	vc->ctrl_vq = vqs[i];
	vc->ctrl_dead = false;
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
	vcrypto_set_affinity(vc);
out:
	kfree(names);
	kfree(cbs);
	kfree(vqs);
	return err;
}

/*
 * Stop every queue, reset the device, fail what was in flight and delete
 * the virtqueues. Afterwards only the software state remains. With
 * @taken, the requests that were in flight are moved there instead of
 * being failed, for the caller to complete later.
 */
static void vcrypto_teardown_queues(struct vcrypto_dev *vc, int err,
				    struct list_head *taken)
{
	unsigned int i;

	for (i = 0; i < vc->nr_dataqs; i++)
		vcrypto_dataq_stop(&vc->dataqs[i]);
	vcrypto_ctrl_stop(vc);
	/* notifications already decided on are sent (see dataq.c) */
	synchronize_rcu();

	virtio_reset_device(vc->vdev);

	for (i = 0; i < vc->nr_dataqs; i++) {
		if (taken)
			vcrypto_dataq_take_all(&vc->dataqs[i], taken);
		else
			vcrypto_dataq_fail_all(&vc->dataqs[i], err);
	}
	vcrypto_ctrl_drain(vc);
	/* del_vqs clears hints only on per-queue vectors, not a shared one */
	for (i = 0; i < vc->nr_dataqs; i++)
		virtqueue_set_affinity(vc->dataqs[i].vq, NULL);
	vc->vdev->config->del_vqs(vc->vdev);
	for (i = 0; i < vc->nr_dataqs; i++)
		vc->dataqs[i].vq = NULL;
	vc->ctrl_vq = NULL;
}

/* Called with vcrypto_algs_lock held. */
static void vcrypto_register_algs(struct vcrypto_dev *vc)
{
	if (vc->algs_registered || vc->removing || !vc->hw_ready)
		return;
	vc->algs_registered = true;
	vcrypto_algs_register(vc);
}

/* Called with vcrypto_algs_lock held. */
static void vcrypto_unregister_algs(struct vcrypto_dev *vc)
{
	if (!vc->algs_registered)
		return;
	vcrypto_algs_unregister(vc);
	vc->algs_registered = false;
}

/*
 * AMB-25: HW_READY may change at run time. While it is clear no request is
 * sent (DRV-CFG-3: tfm operations check hw_ready); algorithms registered
 * earlier stay registered, so live tfms are not torn away.
 */
static void vcrypto_config_work(struct work_struct *work)
{
	struct vcrypto_dev *vc = container_of(work, struct vcrypto_dev,
					      config_work);
	u32 status;

	mutex_lock(&vcrypto_algs_lock);
	if (!vc->removing) {
		virtio_cread_le(vc->vdev, struct virtio_crypto_config, status,
				&status);
		WRITE_ONCE(vc->hw_ready, status & VIRTIO_CRYPTO_S_HW_READY);
		vcrypto_register_algs(vc);
	}
	mutex_unlock(&vcrypto_algs_lock);
}

static void vcrypto_config_changed(struct virtio_device *vdev)
{
	struct vcrypto_dev *vc = vdev->priv;

	schedule_work(&vc->config_work);
}

/*
 * A reset (freeze, recovery) dropped every session (AMB-24); tfms bound to
 * this device get theirs back, so they keep working across it.
 */
static void vcrypto_recreate_sessions(struct vcrypto_dev *vc)
{
	struct vcrypto_sess_owner *owner;
	unsigned int failed = 0;

	mutex_lock(&vc->sess_lock);
	list_for_each_entry(owner, &vc->sess_owners, node) {
		if (owner->recreate(owner))
			failed++;
	}
	mutex_unlock(&vc->sess_lock);
	if (failed)
		dev_warn(&vc->vdev->dev,
			 "%u tfm(s) lost their sessions at restore\n", failed);
}

static unsigned int data_timeout_ms = 30000;
module_param(data_timeout_ms, uint, 0644);
MODULE_PARM_DESC(data_timeout_ms,
		 "Reset the device when a data request is unanswered this long, in ms (default 30000, 0: never)");

/*
 * A device that keeps a request and never returns it would leave the
 * caller waiting forever; the buffers cannot be taken back without a
 * reset. So: reset the device, fail everything in flight with
 * -ETIMEDOUT, bring the queues back and re-create the sessions. The
 * algorithms stay registered. Runs in the watchdog work, which remove and
 * freeze cancel (and wait for) before they tear the queues down. It takes
 * no global lock: a registration stuck on the unanswered request (its
 * self-test) is exactly what it has to unblock.
 */
/*
 * After a reset the device needs the status sequence again before queues
 * can be set up (as virtio_device_restore() does): ACKNOWLEDGE, DRIVER,
 * the features already negotiated at probe, FEATURES_OK.
 */
static int vcrypto_renegotiate(struct virtio_device *vdev)
{
	int err;

	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	err = vdev->config->finalize_features(vdev);
	if (err)
		return err;
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -ENODEV;
	return 0;
}

/*
 * The requests that were in flight fail with -ETIMEDOUT only once the
 * queues and sessions are back: a caller that sends its next request as
 * soon as the failed one returns must not run into the recovery window
 * (dead queues: -ENODEV, sessions being re-created: -ENOKEY).
 */
static void vcrypto_recover(struct vcrypto_dev *vc)
{
	LIST_HEAD(timed_out);
	int err;

	dev_warn(&vc->vdev->dev,
		 "a data request got no answer in %u ms: resetting the device\n",
		 data_timeout_ms);
	vcrypto_teardown_queues(vc, -ETIMEDOUT, &timed_out);
	err = vcrypto_renegotiate(vc->vdev);
	if (!err)
		err = vcrypto_find_vqs(vc);
	if (err) {
		dev_err(&vc->vdev->dev, "device lost after reset: %d\n", err);
		WRITE_ONCE(vc->hw_ready, false);
	} else {
		virtio_device_ready(vc->vdev);
		vcrypto_recreate_sessions(vc);
	}
	vcrypto_dataq_complete_list(&timed_out, -ETIMEDOUT);
}

static void vcrypto_watchdog(struct work_struct *work)
{
	struct vcrypto_dev *vc = container_of(to_delayed_work(work),
					      struct vcrypto_dev, watchdog);
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(data_timeout_ms));
	bool stalled = false;
	unsigned int i;

	/* remove/freeze set this, then wait for us (cancel_delayed_work_sync) */
	if (READ_ONCE(vc->removing))
		return;
	for (i = 0; timeout && i < vc->nr_dataqs && !stalled; i++)
		stalled = vcrypto_dataq_stalled(&vc->dataqs[i], timeout);
	if (stalled)
		vcrypto_recover(vc);
	schedule_delayed_work(&vc->watchdog, HZ);
}

/* Bring queues up and publish the device; used by probe and restore. */
static int vcrypto_start(struct vcrypto_dev *vc)
{
	int err;

	err = vcrypto_find_vqs(vc);
	if (err)
		return err;

	mutex_lock(&vcrypto_algs_lock);
	WRITE_ONCE(vc->removing, false);
	mutex_unlock(&vcrypto_algs_lock);

	virtio_device_ready(vc->vdev);

	mutex_lock(&vcrypto_devs_lock);
	list_add_tail(&vc->node, &vcrypto_devs);
	mutex_unlock(&vcrypto_devs_lock);

	/* before registration: its self-tests may need a recovery */
	schedule_delayed_work(&vc->watchdog, HZ);
	/* re-read HW_READY now the driver is live (DRV-CFG-2) */
	vcrypto_config_work(&vc->config_work);
	return 0;
}

/* Unpublish the device and take its queues down; remove and freeze. */
static void vcrypto_stop(struct vcrypto_dev *vc)
{
	mutex_lock(&vcrypto_devs_lock);
	list_del(&vc->node);
	mutex_unlock(&vcrypto_devs_lock);

	mutex_lock(&vcrypto_algs_lock);
	WRITE_ONCE(vc->removing, true);
	mutex_unlock(&vcrypto_algs_lock);
	cancel_work_sync(&vc->config_work);
	cancel_delayed_work_sync(&vc->watchdog);

	mutex_lock(&vcrypto_algs_lock);
	vcrypto_unregister_algs(vc);
	mutex_unlock(&vcrypto_algs_lock);

	WRITE_ONCE(vc->hw_ready, false);
	vcrypto_teardown_queues(vc, -ENODEV, NULL);
	cancel_work_sync(&vc->config_work);
}

/* Per data queue request counters: shows that every queue is used. */
static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct vcrypto_dev *vc = dev_to_virtio(dev)->priv;
	unsigned int i;
	int len = 0;

	if (!vc)
		return -ENODEV;
	for (i = 0; i < vc->nr_dataqs; i++)
		len += vcrypto_dataq_show_stats(&vc->dataqs[i], buf, len);
	len += sysfs_emit_at(buf, len,
			     "ctrl sessions_created=%lld sessions_destroyed=%lld\n",
			     atomic64_read(&vc->sessions_created),
			     atomic64_read(&vc->sessions_destroyed));
	return len;
}
static DEVICE_ATTR_RO(stats);

static int vcrypto_validate(struct virtio_device *vdev)
{
	/*
	 * No indirect descriptors: with them every multi-entry request would
	 * allocate a descriptor table with GFP_ATOMIC, and the skcipher
	 * algorithms promise not to allocate on the request path
	 * (CRYPTO_ALG_ALLOCATES_MEMORY is clear). See docs/driver.md.
	 */
	__virtio_clear_bit(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	/*
	 * FEAT-1, GEN-5: a STATELESS bit only together with REVISION_1 (a
	 * device offering one without it gets neither, GEN-4); none at all
	 * with stateless=0, which sends session requests only.
	 */
	if (!virtio_has_feature(vdev, VCRYPTO_F_REVISION_1) ||
	    !vcrypto_stateless) {
		__virtio_clear_bit(vdev, VCRYPTO_F_CIPHER_STATELESS_MODE);
		__virtio_clear_bit(vdev, VCRYPTO_F_HASH_STATELESS_MODE);
		__virtio_clear_bit(vdev, VCRYPTO_F_MAC_STATELESS_MODE);
		__virtio_clear_bit(vdev, VCRYPTO_F_AEAD_STATELESS_MODE);
		__virtio_clear_bit(vdev, VCRYPTO_F_AKCIPHER_STATELESS_MODE);
	}
	return 0;
}

static int vcrypto_probe(struct virtio_device *vdev)
{
	struct vcrypto_dev *vc;
	unsigned int i;
	int err;

	/* GEN-9: crypto has no legacy interface */
	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV;
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "config access disabled\n");
		return -EINVAL;
	}

	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	kref_init(&vc->ref);
	vc->vdev = vdev;
	/* validate() accepted STATELESS bits only with REVISION_1 (GEN-5) */
	vc->rev1 = virtio_has_feature(vdev, VCRYPTO_F_REVISION_1);
	for (i = 0; i <= VIRTIO_CRYPTO_SERVICE_AKCIPHER; i++) {
		if (vc->rev1 && virtio_has_feature(vdev, i + 1))
			vc->sl_services |= BIT(i);
	}
	atomic64_set(&vc->sessions_created, 0);
	atomic64_set(&vc->sessions_destroyed, 0);
	INIT_LIST_HEAD(&vc->node);
	spin_lock_init(&vc->ctrl_lock);
	mutex_init(&vc->ctrl_mutex);
	mutex_init(&vc->sess_lock);
	INIT_LIST_HEAD(&vc->sess_owners);
	/* before the device can raise a config interrupt */
	INIT_WORK(&vc->config_work, vcrypto_config_work);
	INIT_DELAYED_WORK(&vc->watchdog, vcrypto_watchdog);
	vc->removing = true;
	vc->ctrl_dead = true;
	vdev->priv = vc;

	err = vcrypto_read_config(vc);
	if (err)
		goto err_free;

	vc->dataqs = kcalloc(vc->nr_dataqs, sizeof(*vc->dataqs), GFP_KERNEL);
	if (!vc->dataqs) {
		err = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < vc->nr_dataqs; i++) {
		if (!zalloc_cpumask_var(&vc->dataqs[i].cpus, GFP_KERNEL)) {
			err = -ENOMEM;
			goto err_cpus;
		}
		vcrypto_dataq_init(&vc->dataqs[i], vc, i);
	}

	err = vcrypto_start(vc);
	if (err)
		goto err_cpus;
	/* diagnostics only: the driver works without the file */
	if (device_create_file(&vdev->dev, &dev_attr_stats))
		dev_warn(&vdev->dev, "no stats file\n");

	dev_info(&vdev->dev,
		 "%u data queue(s), services %#x, cipher %#x, max key %u, max size %llu, %s, stateless services %#x%s\n",
		 vc->nr_dataqs, vc->services, vc->cipher_algo_l,
		 vc->max_cipher_key_len, vc->max_size,
		 vc->rev1 ? "REVISION_1" : "legacy layout", vc->sl_services,
		 vc->hw_ready ? "" : ", not ready");
	return 0;

err_cpus:
	while (i--)
		free_cpumask_var(vc->dataqs[i].cpus);
	kfree(vc->dataqs);
err_free:
	vdev->priv = NULL;
	kfree(vc);
	return err;
}

static void vcrypto_remove(struct virtio_device *vdev)
{
	struct vcrypto_dev *vc = vdev->priv;

	device_remove_file(&vdev->dev, &dev_attr_stats);
	vcrypto_stop(vc);
	vdev->priv = NULL;
	/* tfms still bound keep the structure; their operations fail */
	kref_put(&vc->ref, vcrypto_dev_release);
}

#ifdef CONFIG_PM_SLEEP
static int vcrypto_freeze(struct virtio_device *vdev)
{
	vcrypto_stop(vdev->priv);
	return 0;
}

static int vcrypto_restore(struct virtio_device *vdev)
{
	struct vcrypto_dev *vc = vdev->priv;
	u32 nr = vc->nr_dataqs;
	int err;

	err = vcrypto_read_config(vc);
	if (err)
		return err;
	if (vc->nr_dataqs != nr) {
		/* the queue array was sized at probe */
		dev_err(&vdev->dev, "max_dataqueues changed across suspend\n");
		vc->nr_dataqs = nr;
		return -EINVAL;
	}
	err = vcrypto_start(vc);
	if (err)
		return err;
	vcrypto_recreate_sessions(vc);
	return 0;
}
#endif

static const struct virtio_device_id vcrypto_id_table[] = {
	{ VIRTIO_ID_CRYPTO, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vcrypto_id_table);

/*
 * REVISION_1 and the five STATELESS bits (AMB-2): a device offering none
 * of them (the stock QEMU 7.2 device) gets the legacy padded layout.
 */
static unsigned int vcrypto_features[] = {
	VCRYPTO_F_REVISION_1,
	VCRYPTO_F_CIPHER_STATELESS_MODE,
	VCRYPTO_F_HASH_STATELESS_MODE,
	VCRYPTO_F_MAC_STATELESS_MODE,
	VCRYPTO_F_AEAD_STATELESS_MODE,
	VCRYPTO_F_AKCIPHER_STATELESS_MODE,
};

static struct virtio_driver vcrypto_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.feature_table = vcrypto_features,
	.feature_table_size = ARRAY_SIZE(vcrypto_features),
	.id_table = vcrypto_id_table,
	.validate = vcrypto_validate,
	.probe = vcrypto_probe,
	.remove = vcrypto_remove,
	.config_changed = vcrypto_config_changed,
#ifdef CONFIG_PM_SLEEP
	.freeze = vcrypto_freeze,
	.restore = vcrypto_restore,
#endif
};

static int __init vcrypto_init(void)
{
	int err;

	if (vcrypto_stateless < 0 || vcrypto_stateless > 2) {
		pr_err("stateless=%d: must be 0, 1 or 2\n", vcrypto_stateless);
		return -EINVAL;
	}

	err = vcrypto_skcipher_add_algs();
	if (!err)
		err = vcrypto_ahash_add_algs();
	if (!err)
		err = vcrypto_aead_add_algs();
	if (!err)
		err = vcrypto_authenc_add_algs();
	if (!err)
		err = vcrypto_akcipher_add_algs();
	if (!err)
		err = vcrypto_ecdsa_add_algs();
	if (err) {
		vcrypto_algs_cleanup();
		return err;
	}
	return register_virtio_driver(&vcrypto_driver);
}

static void __exit vcrypto_exit(void)
{
	unregister_virtio_driver(&vcrypto_driver);
	vcrypto_algs_cleanup();
}

module_init(vcrypto_init);
module_exit(vcrypto_exit);

MODULE_DESCRIPTION("virtio-crypto guest driver");
MODULE_LICENSE("GPL");
